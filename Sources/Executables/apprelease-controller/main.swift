print("apprelease-controller: not built yet")
