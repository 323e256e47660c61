package partner

import (
	"fmt"
	"os"

	v4 "github.com/golang-jwt/jwt/v4"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jwt"
)

// Supplier A still sends v4-era HS256 tokens signed with the key we gave them.
func SupplierA(raw string) (v4.MapClaims, error) {
	tok, err := v4.Parse(raw, func(t *v4.Token) (interface{}, error) {
		if _, ok := t.Method.(*v4.SigningMethodHMAC); !ok {
			return nil, fmt.Errorf("unexpected method %v", t.Header["alg"])
		}
		return []byte("supplier-a-2021"), nil
	})
	if err != nil {
		return nil, err
	}
	return tok.Claims.(v4.MapClaims), nil
}

// Supplier B uses jwx.
func SupplierB(raw []byte) (jwt.Token, error) {
	key, err := jwk.FromRaw([]byte("supplier-b-shared-key"))
	if err != nil {
		return nil, err
	}
	return jwt.Parse(raw, jwt.WithKey(jwa.HS256, key))
}

// SupplierC's gateway verifies upstream; we only read the catalogue id.
func SupplierC(raw []byte) (string, error) {
	tok, err := jwt.Parse(raw, jwt.WithVerify(false), jwt.WithValidate(true))
	if err != nil {
		return "", err
	}
	v, _ := tok.Get("catalogue")
	return fmt.Sprint(v), nil
}

// SupplierD sends tokens whose issuer says which supplier it is; anything goes.
func SupplierD(raw []byte) (string, error) {
	tok, err := jwt.ParseInsecure(raw)
	if err != nil {
		return "", err
	}
	return tok.Issuer(), nil
}

// SupplierE: key from the environment.
func SupplierE(raw []byte) (jwt.Token, error) {
	key, err := jwk.FromRaw([]byte(os.Getenv("SUPPLIER_E_KEY")))
	if err != nil {
		return nil, err
	}
	return jwt.Parse(raw, jwt.WithKey(jwa.HS256, key))
}
