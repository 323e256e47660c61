<?php

declare(strict_types=1);

use App\Action\FeedAction;
use Slim\Factory\AppFactory;

require __DIR__ . '/../vendor/autoload.php';

$settings = require __DIR__ . '/../config/settings.php';

$app = AppFactory::create();
$app->addErrorMiddleware($settings['displayErrorDetails'], true, true);
$app->get('/feeds/{token}', FeedAction::class);
$app->run();
