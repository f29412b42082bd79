// AppReleaseController: placeholder until its issue lands.
