variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type        = string
  description = "Deployment environment name"
}

variable "jwt_secret" {
  type        = string
  description = "HMAC key for API access tokens"
  default     = "terraform-jwt-secret-2024"
  sensitive   = true
}

variable "session_secret" {
  type        = string
  description = "Cookie signing key; supply via TF_VAR_session_secret"
  sensitive   = true
}

variable "jwt_secret_min_length" {
  type    = number
  default = 32
}
