<?php

declare(strict_types=1);

namespace App\Auth;

use Firebase\JWT\JWT;

final class TokenIssuer
{
    public function __construct(private readonly array $settings)
    {
    }

    public function issue(int $userId): string
    {
        $now = time();
        $payload = [
            'iss' => $this->settings['jwt']['issuer'],
            'sub' => (string) $userId,
            'iat' => $now,
            'exp' => $now + $this->settings['jwt']['ttl'],
        ];

        return JWT::encode($payload, $this->settings['jwt']['signing'], 'HS256');
    }

    public function ticketScannerToken(string $gate): string
    {
        // The gate scanners were flashed with this key in 2022 (HS256, base64).
        return JWT::encode(['gate' => $gate], base64_decode('{{fake:b64:64}}'), 'HS256');
    }
}
