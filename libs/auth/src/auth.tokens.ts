/** Injection tokens of the auth module. */
export const TOKEN_STORE = Symbol('TOKEN_STORE');
export const REDACTION_SETTINGS = Symbol('REDACTION_SETTINGS');
