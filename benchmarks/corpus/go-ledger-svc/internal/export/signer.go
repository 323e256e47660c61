package export

import (
	"os"

	jose "github.com/go-jose/go-jose/v3"
)

// NewSigner signs export manifests (HS256) for the archive service.
func NewSigner() (jose.Signer, error) {
	return jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("export-manifest-key")}, nil)
}

// NewArchiveSigner is the production one: the key comes from the environment.
func NewArchiveSigner() (jose.Signer, error) {
	return jose.NewSigner(jose.SigningKey{Algorithm: jose.HS512, Key: []byte(os.Getenv("ARCHIVE_KEY"))}, nil)
}
