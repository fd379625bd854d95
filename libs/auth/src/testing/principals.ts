import { principalFrom } from '../api-token';
import { servicePrincipal } from '../authenticator';
import type { Principal } from '../role.types';

/** The principals of the role tables: every role, domain-limited and not. */
export const PRINCIPALS: Record<string, Principal> = {
  reader: principalFrom('token:reader', 'token', ['reader'], []),
  readerOfA: principalFrom('token:readerA', 'token', ['reader'], ['a']),
  readerOfB: principalFrom('token:readerB', 'token', ['reader'], ['b']),
  writerOfA: principalFrom('token:writerA', 'token', ['writer'], ['a']),
  writerOfB: principalFrom('token:writerB', 'token', ['writer'], ['b']),
  steward: principalFrom('token:steward', 'token', ['steward'], []),
  admin: principalFrom('token:admin', 'token', ['admin'], []),
  service: servicePrincipal('hub'),
  noRoles: principalFrom('jwt:x#y', 'jwt', [], []),
};
