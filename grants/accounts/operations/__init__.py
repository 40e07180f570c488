"""What accounts do: register, confirm an address, sign in, change or reset a password, use a
second factor and create users; with the password and link rules they rely on."""
