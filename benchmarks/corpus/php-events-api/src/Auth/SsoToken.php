<?php

declare(strict_types=1);

namespace App\Auth;

use Namshi\JOSE\SimpleJWS;

/** Tokens from the venue's single sign-on box (RS256, sometimes unsigned in their test mode). */
final class SsoToken
{
    public function __construct(private readonly string $publicKeyPem)
    {
    }

    public function claims(string $token): ?array
    {
        $jws = SimpleJWS::load($token, true);
        if (!$jws->isValid($this->publicKeyPem)) {
            return null;
        }

        return $jws->getPayload();
    }

    public function strictClaims(string $token): ?array
    {
        $jws = SimpleJWS::load($token);

        return $jws->isValid($this->publicKeyPem, 'RS256') ? $jws->getPayload() : null;
    }
}
