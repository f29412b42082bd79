// ControllerRuntime: placeholder until its issue lands.
