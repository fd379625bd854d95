/**
 * What the `lineage` command takes from its environment, read once (main.ts) into one typed object that the
 * commands get through CliContext: nothing else in the CLI reads process.env. All optional, so `lineage sql` and
 * `--help` run without any of them; a gateway command without a gateway says so when it needs one.
 */
export interface CliConfig {
  /** LINEAGE_GATEWAY: the gateway URL when --gateway is not given. */
  gateway?: string;
  /** LINEAGE_TOKEN: the API token when --token is not given. */
  token?: string;
  /** LINEAGE_USER: who records manual lineage when --by is not given. */
  lineageUser?: string;
  /** USER: the login name, the fallback author of manual lineage and of silences. */
  osUser?: string;
}

/** Reads the variables as they are (unset stays undefined). */
export const loadCliConfig = (env: Record<string, string | undefined> = process.env): CliConfig => ({
  gateway: env.LINEAGE_GATEWAY,
  token: env.LINEAGE_TOKEN,
  lineageUser: env.LINEAGE_USER,
  osUser: env.USER,
});
