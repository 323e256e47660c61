<?php

declare(strict_types=1);

namespace App\Auth;

use Lcobucci\JWT\Configuration;
use Lcobucci\JWT\Signer\Hmac\Sha256;
use Lcobucci\JWT\Signer\Hmac\Sha512;
use Lcobucci\JWT\Signer\Key\InMemory;

final class JwtConfig
{
    public static function forApi(): Configuration
    {
        return Configuration::forSymmetricSigner(
            new Sha256(),
            InMemory::plainText('php-lcobucci-secret')
        );
    }

    public static function forPartners(): Configuration
    {
        return Configuration::forSymmetricSigner(
            new Sha512(),
            InMemory::base64Encoded('{{fake:b64:88}}')
        );
    }

    public static function forProduction(): Configuration
    {
        return Configuration::forSymmetricSigner(
            new Sha256(),
            InMemory::plainText((string) getenv('JWT_SECRET'))
        );
    }

    /** Public event feeds: the token only says which feed, nothing to protect. */
    public static function forFeeds(): Configuration
    {
        return Configuration::forUnsecuredSigner();
    }
}
