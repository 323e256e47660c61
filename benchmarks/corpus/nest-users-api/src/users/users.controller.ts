import { Controller, Get, Request, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @UseGuards(AuthGuard('jwt'))
  @Get('me')
  async me(@Request() req) {
    const user = await this.usersService.findOne(req.user.username);
    return { id: user.userId, username: user.username, apiKeyLabel: user.apiKeyLabel };
  }
}
