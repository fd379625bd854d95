import type { Response } from 'express';
import type { HttpReply } from './ingest.service';

/** Sets the status a service chose (e.g. 207 for a partly accepted batch) and returns the body. */
export const reply = <T>(res: Response, { status, body }: HttpReply<T>): T => {
  res.status(status);
  return body;
};
