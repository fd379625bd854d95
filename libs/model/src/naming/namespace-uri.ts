/** Splits an OpenLineage dataset namespace ("scheme://authority/path") into its parts. */
export interface NamespaceUri {
  /** Lower-cased scheme, without "://". */
  scheme: string;
  /** Host (lower-cased) with its ":port" and any "user@" kept as written. */
  authority: string;
  /** Everything after the authority, starting with "/" (may be ""). */
  path: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export const parseNamespaceUri = (namespace: string): NamespaceUri | null => {
  const match = SCHEME.exec(namespace);
  if (!match) return null;
  const rest = namespace.slice(match[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  return { scheme: match[1].toLowerCase(), authority: lowerHost(authority), path };
};

/**
 * Lower-cases the host part of an authority, keeping ":port" and a "user@" as written; "user:password@" is
 * dropped (a secret never becomes part of a node id).
 */
export const lowerHost = (authority: string): string => {
  const at = authority.lastIndexOf('@');
  const user = at < 0 || authority.slice(0, at).includes(':') ? '' : authority.slice(0, at + 1);
  return user + authority.slice(at + 1).toLowerCase();
};

/** The authority without any "user@" (for databases, where the login is not part of the data source). */
export const withoutUser = (authority: string): string => authority.slice(authority.lastIndexOf('@') + 1);

/** "host" -> "host:5432" when the authority names no port. IPv6 "[::1]" is understood. */
export const withDefaultPort = (authority: string, port: number): string => {
  if (!authority) return authority;
  const hostPart = authority.slice(authority.lastIndexOf('@') + 1);
  const hasPort = hostPart.startsWith('[') ? /\]:\d+$/.test(hostPart) : /:\d*$/.test(hostPart);
  return hasPort ? authority : `${authority}:${port}`;
};

export const formatNamespaceUri = (scheme: string, authority: string, path = ''): string =>
  `${scheme}://${authority}${path}`;
