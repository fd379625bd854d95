import type { Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { NODE_FACTS, type NodeFactsSource } from './node-facts';
import { RedactionInterceptor, redactionProviders } from './redaction.interceptor';

class NoFacts implements NodeFactsSource {
  factsOf: NodeFactsSource['factsOf'] = async () => new Map();
}

const provided = (providers: Provider[], token: unknown) => providers.filter((p) => typeof p === 'object' && 'provide' in p && p.provide === token);

describe('redactionProviders', () => {
  it('registers the global redaction interceptor when authentication is on', () => {
    const providers = redactionProviders(NoFacts, { enabled: true });
    expect(provided(providers, APP_INTERCEPTOR)).toEqual([{ provide: APP_INTERCEPTOR, useClass: RedactionInterceptor }]);
    expect(provided(providers, NODE_FACTS)).toEqual([{ provide: NODE_FACTS, useExisting: NoFacts }]);
  });

  it('registers no interceptor when authentication is off (it would pass every answer through), the facts source still', () => {
    const providers = redactionProviders(NoFacts, { enabled: false });
    expect(provided(providers, APP_INTERCEPTOR)).toEqual([]);
    expect(provided(providers, NODE_FACTS)).toEqual([{ provide: NODE_FACTS, useExisting: NoFacts }]);
  });
});
