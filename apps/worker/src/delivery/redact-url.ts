/** A URL fit for a log line: user name, password and query string (tokens) removed. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    const hidden = u.username || u.password || u.search;
    u.username = '';
    u.password = '';
    u.search = '';
    return hidden ? `${u.toString().replace(/\/$/, '')} (credentials hidden)` : u.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL hidden)';
  }
};

/** Every URL of a `domain -> URL` map, redacted for logging. */
export const redactUrls = (urls: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(urls).map(([domain, url]) => [domain, redactUrl(url)]));
