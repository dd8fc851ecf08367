"""Messages to members: the mailer port, its adapters and the message templates."""
