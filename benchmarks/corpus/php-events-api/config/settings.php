<?php

declare(strict_types=1);

return [
    'displayErrorDetails' => (bool) ($_ENV['APP_DEBUG'] ?? false),
    'db' => [
        'dsn' => 'mysql:host=localhost;dbname=events',
        'user' => 'events',
        'password' => 'events',
    ],
    'jwt' => [
        'issuer' => 'events-api',
        'signing' => 'events-signing-key',
        'ttl' => 3600,
    ],
];
