terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.30"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region
}

resource "random_password" "refresh_token_secret" {
  length  = 64
  special = false
}

resource "aws_ssm_parameter" "jwt_secret" {
  name  = "/${var.environment}/api/JWT_SECRET"
  type  = "SecureString"
  value = var.jwt_secret
}

module "api" {
  source               = "./modules/api"
  environment          = var.environment
  jwt_secret_arn       = aws_ssm_parameter.jwt_secret.arn
  refresh_token_secret = random_password.refresh_token_secret.result
  session_secret       = var.session_secret
}
