print("kubesim: not built yet")
