module github.com/acme/gin-api

go 1.21

require (
	github.com/gin-contrib/sessions v0.0.5
	github.com/gin-gonic/gin v1.9.1
	github.com/golang-jwt/jwt/v5 v5.2.0
	gopkg.in/yaml.v3 v3.0.1
)
