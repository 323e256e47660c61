<?php

declare(strict_types=1);

return [
    'displayErrorDetails' => ($_ENV['APP_ENV'] ?? 'prod') === 'dev',
    'db' => [
        'dsn' => $_ENV['DB_DSN'] ?? 'sqlite:' . __DIR__ . '/../var/app.db',
    ],
    'jwt' => [
        'secret' => $_ENV['JWT_SECRET'] ?? '',
        'ttl' => (int) ($_ENV['JWT_TTL'] ?? 3600),
        'header' => 'Authorization',
    ],
];
