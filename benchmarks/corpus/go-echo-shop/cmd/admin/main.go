package main

import (
	"log"
	"os"

	jwtware "github.com/gofiber/contrib/jwt"
	"github.com/gofiber/fiber/v2"
	"gopkg.in/yaml.v3"
)

type config struct {
	AdminListen string `yaml:"admin_listen"`
	AdminKey    string `yaml:"admin_key"`
}

func main() {
	raw, err := os.ReadFile("config.yaml")
	if err != nil {
		log.Fatal(err)
	}
	var cfg config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		log.Fatal(err)
	}

	app := fiber.New()
	app.Use(jwtware.New(jwtware.Config{SigningKey: jwtware.SigningKey{Key: []byte(cfg.AdminKey)}}))
	app.Get("/orders", func(c *fiber.Ctx) error { return c.SendString("orders") })
	log.Fatal(app.Listen(cfg.AdminListen))
}
