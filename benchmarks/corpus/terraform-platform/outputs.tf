output "jwt_secret_parameter" {
  value       = aws_ssm_parameter.jwt_secret.name
  description = "SSM parameter that holds the JWT secret"
}

output "jwt_secret" {
  value     = var.jwt_secret
  sensitive = true
}
