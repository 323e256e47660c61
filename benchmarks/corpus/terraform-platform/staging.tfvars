environment    = "staging"
region         = "eu-west-1"
jwt_secret     = "{{fake:hex:64}}"
session_secret = "{{fake:alnum:40}}"
