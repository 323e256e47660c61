module github.com/acme/fiber-auth

go 1.22

require (
	github.com/gofiber/contrib/jwt v1.0.8
	github.com/gofiber/fiber/v2 v2.52.0
	github.com/golang-jwt/jwt/v5 v5.2.0
	github.com/joho/godotenv v1.5.1
)
