/** Injection tokens of the auth module. */
export const TOKEN_STORE = Symbol('TOKEN_STORE');
export const REDACTION_SETTINGS = Symbol('REDACTION_SETTINGS');
/** The service credential (string | null) this process sends on gateway/worker -> shard/worker calls. */
export const SERVICE_TOKEN = Symbol('SERVICE_TOKEN');
