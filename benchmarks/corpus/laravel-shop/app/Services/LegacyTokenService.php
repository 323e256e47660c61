<?php

namespace App\Services;

use Firebase\JWT\JWT;
use Firebase\JWT\Key;

/**
 * Tokens for the legacy checkout widget embedded on partner sites.
 */
class LegacyTokenService
{
    private const TTL = 900;

    public function issue(int $cartId): string
    {
        $payload = [
            'iss' => config('app.url'),
            'cart' => $cartId,
            'iat' => time(),
            'exp' => time() + self::TTL,
        ];

        return JWT::encode($payload, "example_key", 'HS256');
    }

    public function cartId(string $jwt, string $key): int
    {
        $decoded = JWT::decode($jwt, new Key($key, 'HS256'));

        return (int) $decoded->cart;
    }
}
