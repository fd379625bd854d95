import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { Access } from './access.decorator';
import { TokenAdminService } from './token-admin.service';

/** POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{id} (revoke): admin only. */
@Access('admin')
@Controller('api/v1/tokens')
export class TokenAdminController {
  constructor(private readonly tokens: TokenAdminService) {}

  @Post()
  create(@Body() body: unknown) {
    return this.tokens.create(body);
  }

  @Get()
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  revoke(@Param('id') id: string) {
    return this.tokens.revoke(id);
  }
}
