import type { Response } from 'express';

/**
 * Writes a JSON answer straight to the socket: the headers and bytes `res.json` would send, without the per-request
 * work a POST answer does not need (Nest's response pipeline, express's charset rewrite and ETag hash: an ETag
 * only ever answers a conditional GET/HEAD). Used by the hot single-event ingest route; errors still go through
 * the exception filters (nothing is written before the answer is known).
 */
export const writeJsonAnswer = (res: Response, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
};
