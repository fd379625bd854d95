import { Controller, Delete, Get, Module, Post } from '@nestjs/common';
import { Access } from './access.decorator';
import { applicationRoutes } from './route-rules';

@Controller('api/v1/things')
@Access('read')
class ThingsController {
  @Get() list() {}
  @Post() @Access('admin') create() {}
}

@Controller()
class BareController {
  @Get(['health', 'healthz']) @Access('public') health() {}
  @Delete('api/v1/things/:id') remove() {}
}

@Module({ controllers: [BareController] })
class InnerModule {}

class RootModule {
  static forRoot() {
    return { module: RootModule, imports: [InnerModule], controllers: [ThingsController] };
  }
}

describe('applicationRoutes', () => {
  it('lists every route of a module tree with its rule (method over class), and the ones without', () => {
    const routes = applicationRoutes(RootModule.forRoot()).map((r) => `${r.method} ${r.path} ${r.rule ?? 'NONE'}`);
    expect(routes.sort()).toEqual(['DELETE /api/v1/things/:id NONE', 'GET /api/v1/things read', 'GET /health public', 'GET /healthz public', 'POST /api/v1/things admin']);
  });
});
