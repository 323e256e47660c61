<?php

declare(strict_types=1);

use App\Middleware\JwtMiddleware;
use Slim\Factory\AppFactory;

require __DIR__ . '/../vendor/autoload.php';

$settings = require __DIR__ . '/../config/settings.php';

$app = AppFactory::create();
$app->addErrorMiddleware($settings['displayErrorDetails'], true, true);

$app->group('/api', function ($group) {
    $group->get('/me', function ($request, $response) {
        $claims = $request->getAttribute('claims');
        $response->getBody()->write(json_encode(['sub' => $claims->sub]));
        return $response->withHeader('Content-Type', 'application/json');
    });
})->add(new JwtMiddleware());

$app->run();
