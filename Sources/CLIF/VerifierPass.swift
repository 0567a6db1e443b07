import SourceText

struct VerifierPass {
    let function: Function
    var errors: [VerifierError] = []

    init(function: Function) {
        self.function = function
    }

    mutating func run() {
    }
}
