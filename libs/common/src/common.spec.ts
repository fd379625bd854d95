import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { DomainError, NodeIdError } from '@lineage-hub/model';
import { ConfigError, loadConfig, parsedVariable } from './load-config';
import { JsonLogger } from './json-logger';
import { withCorrelationId } from './correlation';
import { NotFoundException } from '@nestjs/common';
import { toHttpError } from './domain-error.filter';
import { verifyUtf8 } from './json-body.middleware';

describe('loadConfig', () => {
  const schema = z.object({ PORT: z.coerce.number().int().min(1).max(65535).default(5000), SHARD_DOMAIN: z.string().min(1) });

  it('parses and defaults', () => {
    expect(loadConfig(schema, { SHARD_DOMAIN: 'sales' })).toEqual({ PORT: 5000, SHARD_DOMAIN: 'sales' });
  });

  it('names every bad variable', () => {
    expect.assertions(2);
    try {
      loadConfig(schema, { PORT: 'abc' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['PORT', 'SHARD_DOMAIN']);
    }
  });
});

describe('parsedVariable', () => {
  const schema = z.object({ LIST: parsedVariable((text) => (text ?? '').split(',').map((part) => {
    if (!/^\w+$/.test(part)) throw new Error(`"${part}" is not a word`);
    return part;
  })) });

  it('gives what the parser returns, and the parser gets undefined when the variable is unset', () => {
    expect(loadConfig(schema, { LIST: 'a,b' })).toEqual({ LIST: ['a', 'b'] });
    expect(loadConfig(z.object({ V: parsedVariable((text) => text ?? 'unset') }), {})).toEqual({ V: 'unset' });
  });

  it("turns what the parser throws into that variable's configuration error", () => {
    expect(() => loadConfig(schema, { LIST: 'a,b c' })).toThrow(new ConfigError([{ variable: 'LIST', message: '"b c" is not a word' }]).message);
  });
});

describe('JsonLogger', () => {
  it('writes one JSON object per line with context and correlation id', () => {
    const out = new PassThrough();
    const logger = new JsonLogger('shard', out);
    withCorrelationId('c-1', () => logger.log({ msg: 'ingested', events: 3 }, 'IngestService'));
    logger.debug('hidden below the level');
    const lines = out.read().toString().trim().split('\n').map((l: string) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'shard', context: 'IngestService', correlationId: 'c-1', msg: 'ingested', events: 3 });
  });
});

describe('toHttpError', () => {
  it.each([
    [new DomainError('invalid-argument', 'depth: must be >= 0', 'depth'), 400, 'depth'],
    [new DomainError('not-found', 'dataset not found'), 404, undefined],
    [new DomainError('payload-too-large', 'too big'), 413, undefined],
    [new NodeIdError('x', 'unknown kind'), 400, 'nodeId'],
  ])('maps %p to %i', (err, status, field) => {
    const mapped = toHttpError(err);
    expect(mapped.status).toBe(status);
    expect(mapped.body.field).toBe(field);
  });

  it('maps body-parser errors to 4xx and unknown errors to an opaque 500', () => {
    expect(toHttpError(Object.assign(new Error('too large'), { type: 'entity.too.large', limit: 10 })).status).toBe(413);
    expect(toHttpError(Object.assign(new SyntaxError('bad'), { type: 'entity.parse.failed', status: 400 })).status).toBe(400);
    expect(toHttpError(new Error('secret detail'))).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' } });
    const corruptGzip = Object.assign(new Error('Bad Request'), { status: 400, statusCode: 400, expose: true });
    expect(toHttpError(corruptGzip)).toEqual({ status: 400, body: { error: 'bad-request', message: expect.stringMatching(/could not be read/), field: 'body' } });
  });

  it('names the field of every body error: body, Content-Encoding, or the path of a route that does not exist', () => {
    expect(toHttpError(Object.assign(new Error('too large'), { type: 'entity.too.large', limit: 10 })).body.field).toBe('body');
    expect(toHttpError(Object.assign(new SyntaxError('bad'), { type: 'entity.parse.failed', status: 400 })).body.field).toBe('body');
    expect(toHttpError(Object.assign(new Error('gzip2'), { type: 'encoding.unsupported', status: 415 })).body.field).toBe('Content-Encoding');
    const invalidUtf8 = (() => {
      try {
        verifyUtf8(null, null, Buffer.from([0x22, 0xff, 0x22]));
      } catch (error) {
        return error;
      }
    })();
    expect(toHttpError(invalidUtf8)).toEqual({ status: 400, body: { error: 'invalid-argument', message: expect.stringMatching(/UTF-8/), field: 'body' } });
    expect(() => verifyUtf8(null, null, Buffer.from('"é ok"'))).not.toThrow();
    expect(toHttpError(new NotFoundException('Cannot GET /api/v1/nothing'))).toEqual({ status: 404, body: { error: 'http', message: 'Cannot GET /api/v1/nothing', field: 'path' } });
  });
});
