print("client benchmark: not built yet")
