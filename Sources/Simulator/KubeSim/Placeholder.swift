// KubeSim: placeholder until its issue lands.
