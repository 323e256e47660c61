<?php

return [
    'stripe' => [
        'key' => env('STRIPE_KEY'),
        'secret' => env('STRIPE_SECRET'),
        'webhook' => [
            'secret' => env('STRIPE_WEBHOOK_SECRET'),
            'tolerance' => env('STRIPE_WEBHOOK_TOLERANCE', 300),
        ],
    ],
    'warehouse' => [
        'url' => env('WAREHOUSE_URL', 'http://warehouse.local'),
        'token_secret' => env('WAREHOUSE_TOKEN_SECRET'),
    ],
];
