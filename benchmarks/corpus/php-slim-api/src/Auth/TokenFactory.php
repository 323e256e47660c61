<?php

declare(strict_types=1);

namespace App\Auth;

use Firebase\JWT\JWT;

final class TokenFactory
{
    private const SIGNING_KEY = 'secret-signing-key';
    private const ALGORITHM = 'HS256';

    public function forUser(int $userId, array $roles): string
    {
        $now = time();

        return JWT::encode([
            'sub' => $userId,
            'roles' => $roles,
            'iat' => $now,
            'exp' => $now + 3600,
        ], self::SIGNING_KEY, self::ALGORITHM);
    }
}
