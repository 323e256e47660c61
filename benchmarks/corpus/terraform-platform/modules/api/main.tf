variable "environment" { type = string }
variable "jwt_secret_arn" { type = string }
variable "refresh_token_secret" {
  type      = string
  sensitive = true
}
variable "session_secret" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "api" {
  function_name = "api-${var.environment}"
  role          = aws_iam_role.api.arn
  handler       = "dist/lambda.handler"
  runtime       = "nodejs20.x"
  filename      = "${path.module}/build/api.zip"

  environment {
    variables = {
      JWT_SECRET_ARN       = var.jwt_secret_arn
      REFRESH_TOKEN_SECRET = var.refresh_token_secret
      SESSION_SECRET       = var.session_secret
      TOKEN_HEADER         = "Authorization"
    }
  }
}

resource "aws_iam_role" "api" {
  name               = "api-${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
