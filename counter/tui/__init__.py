"""The Textual counter app: the only package that imports textual."""
