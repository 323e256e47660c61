package auth

import (
	"errors"
	"time"

	jwtlib "github.com/golang-jwt/jwt/v5"

	"github.com/acme/ledger/internal/config"
)

type Claims struct {
	AccountID string `json:"acc"`
	jwtlib.RegisteredClaims
}

func Issue(accountID string) (string, error) {
	claims := Claims{
		AccountID: accountID,
		RegisteredClaims: jwtlib.RegisteredClaims{
			ExpiresAt: jwtlib.NewNumericDate(time.Now().Add(15 * time.Minute)),
			Issuer:    "ledger",
		},
	}
	return jwtlib.NewWithClaims(jwtlib.SigningMethodHS256, claims).SignedString(config.SigningKey)
}

func Verify(raw string) (*Claims, error) {
	claims := &Claims{}
	_, err := jwtlib.ParseWithClaims(raw, claims, func(t *jwtlib.Token) (interface{}, error) {
		return config.SigningKey, nil
	}, jwtlib.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return nil, errors.Join(errors.New("invalid token"), err)
	}
	return claims, nil
}

func IssueRefresh(cfg config.Config, accountID string) (string, error) {
	t := jwtlib.NewWithClaims(jwtlib.SigningMethodHS256, jwtlib.MapClaims{"acc": accountID, "typ": "refresh"})
	return t.SignedString([]byte(cfg.RefreshKey))
}
