module github.com/acme/shop

go 1.21

require (
	github.com/gofiber/contrib/jwt v1.0.7
	github.com/gofiber/fiber/v2 v2.51.0
	github.com/golang-jwt/jwt/v4 v4.5.0
	github.com/golang-jwt/jwt/v5 v5.2.0
	github.com/labstack/echo-jwt/v4 v4.2.0
	github.com/labstack/echo/v4 v4.11.3
	github.com/lestrrat-go/jwx/v2 v2.0.18
	gopkg.in/yaml.v3 v3.0.1
)
