<?php

declare(strict_types=1);

namespace App\Middleware;

use Firebase\JWT\JWT;
use Firebase\JWT\Key;
use Psr\Http\Message\ResponseInterface as Response;
use Psr\Http\Message\ServerRequestInterface as Request;
use Psr\Http\Server\RequestHandlerInterface as Handler;
use Slim\Psr7\Response as SlimResponse;

final class JwtMiddleware
{
    public function __invoke(Request $request, Handler $handler): Response
    {
        $header = $request->getHeaderLine('Authorization');
        if (!str_starts_with($header, 'Bearer ')) {
            return $this->deny('Missing token');
        }

        try {
            $jwt = substr($header, 7);
            $claims = JWT::decode($jwt, new Key('{{fake:b64:48}}', 'HS256'));
        } catch (\Throwable $e) {
            return $this->deny('Invalid token');
        }

        return $handler->handle($request->withAttribute('claims', $claims));
    }

    private function deny(string $message): Response
    {
        $response = new SlimResponse(401);
        $response->getBody()->write(json_encode(['error' => $message]));

        return $response->withHeader('Content-Type', 'application/json');
    }
}
