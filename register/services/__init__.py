"""Services: the register's use cases, coordinating the domain's rules and the repositories."""
