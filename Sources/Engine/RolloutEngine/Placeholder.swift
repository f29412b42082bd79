// RolloutEngine: placeholder until its issue lands.
