<?php

declare(strict_types=1);

use App\Auth\TokenIssuer;
use Firebase\JWT\JWT;
use Firebase\JWT\Key;
use PHPUnit\Framework\TestCase;

final class TokenIssuerTest extends TestCase
{
    public function testIssuedTokenVerifies(): void
    {
        $settings = ['jwt' => ['issuer' => 'test', 'signing' => 'issuer-test-key', 'ttl' => 60]];
        $token = (new TokenIssuer($settings))->issue(5);
        $claims = JWT::decode($token, new Key($settings['jwt']['signing'], 'HS256'));
        self::assertSame('5', $claims->sub);
    }
}
