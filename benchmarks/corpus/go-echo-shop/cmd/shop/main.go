package main

import (
	"net/http"

	echojwt "github.com/labstack/echo-jwt/v4"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/acme/shop/internal/api"
)

func main() {
	e := echo.New()
	e.Use(middleware.Logger(), middleware.Recover())

	e.POST("/login", api.Login)
	e.GET("/products", api.Products)

	r := e.Group("/account")
	r.Use(echojwt.WithConfig(echojwt.Config{
		SigningKey: []byte("echo-shop-secret"),
	}))
	r.GET("", func(c echo.Context) error { return c.String(http.StatusOK, "account") })

	e.Logger.Fatal(e.Start(":8080"))
}
