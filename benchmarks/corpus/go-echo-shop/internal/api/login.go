package api

import (
	"net/http"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func Login(c echo.Context) error {
	var req loginRequest
	if err := c.Bind(&req); err != nil {
		return echo.ErrBadRequest
	}
	claims := gojwt.MapClaims{"sub": req.Email, "exp": time.Now().Add(72 * time.Hour).Unix()}
	t, err := gojwt.NewWithClaims(gojwt.SigningMethodHS256, claims).SignedString([]byte("echo-shop-secret"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, echo.Map{"token": t})
}

func Products(c echo.Context) error {
	return c.JSON(http.StatusOK, []string{"mug", "tee"})
}
