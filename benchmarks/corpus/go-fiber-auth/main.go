package main

import (
	"log"

	jwtware "github.com/gofiber/contrib/jwt"
	"github.com/gofiber/fiber/v2"
	"github.com/joho/godotenv"

	"github.com/acme/fiber-auth/config"
	"github.com/acme/fiber-auth/handlers"
)

func main() {
	_ = godotenv.Load()
	cfg := config.Load()

	app := fiber.New()
	app.Post("/login", handlers.Login)
	app.Get("/", handlers.Accessible)

	// JWT Middleware
	app.Use(jwtware.New(jwtware.Config{
		SigningKey: jwtware.SigningKey{Key: []byte("secret")},
	}))

	app.Get("/restricted", handlers.Restricted)

	log.Fatal(app.Listen(cfg.Addr))
}
