import { mapSnowflakeError } from './snowflake-error.mapper';

/** snowflake-sdk's OperationFailedError carries the GS `code` and the `sqlState`. */
const sfError = (code: string, sqlState?: string) => Object.assign(new Error(`error ${code}`), { code, sqlState });

describe('mapSnowflakeError', () => {
  it.each([
    [sfError('000630', '57014'), 'rate-limited'],
    [sfError('000625', '57014'), 'rate-limited'],
    [Object.assign(new Error('Too many requests'), { response: { status: 429 } }), 'rate-limited'],
    [sfError('390100', '08004'), 'auth-failed'],
    [sfError('390114'), 'auth-failed'],
    [sfError('002003', '02000'), 'not-found'],
    [sfError('000603', 'XX000'), 'transient'],
    [new Error('something unexpected'), 'transient'],
  ])('%s -> %s', (err, code) => {
    expect(mapSnowflakeError(err).code).toBe(code);
  });
});
