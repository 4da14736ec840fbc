# example-corp/label/null 0.3.1, as `terraform init` downloaded it.
variable "enabled" {
  type    = bool
  default = true
}

output "enabled" {
  value = var.enabled
}
