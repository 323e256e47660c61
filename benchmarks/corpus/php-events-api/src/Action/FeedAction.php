<?php

declare(strict_types=1);

namespace App\Action;

use App\Auth\JwtConfig;
use Psr\Http\Message\ResponseInterface as Response;
use Psr\Http\Message\ServerRequestInterface as Request;

final class FeedAction
{
    public function __invoke(Request $request, Response $response, array $args): Response
    {
        $config = JwtConfig::forFeeds();
        $token = $config->parser()->parse($args['token']);
        $feed = $token->claims()->get('feed');
        $response->getBody()->write(json_encode(['feed' => $feed]));

        return $response->withHeader('Content-Type', 'application/json');
    }
}
