import type { Response } from 'express';

/** A body with the HTTP status a service chose for it. */
export interface HttpReply<T> {
  status: number;
  body: T;
}

/** Sets the status a service chose (e.g. 207 for a partly accepted batch) and returns the body. */
export const reply = <T>(res: Response, { status, body }: HttpReply<T>): T => {
  res.status(status);
  return body;
};
