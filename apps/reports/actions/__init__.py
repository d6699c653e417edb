"""One function per workflow action (house style). Views, the API, imports and commands all call
these; nothing else assigns a status."""
